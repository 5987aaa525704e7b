// Entry point of `npm run render`; see scripts/render-cli.ts.
import { exitWith } from "./cli-io";
import { renderCli } from "./render-cli";

exitWith(() => renderCli(process.argv.slice(2), console));
