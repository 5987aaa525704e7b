// Entry point of `npm run render`; see scripts/render-cli.ts.
import { renderCli } from "./render-cli";

process.exitCode = renderCli(process.argv.slice(2), console);
