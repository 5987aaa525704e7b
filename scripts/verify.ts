// Entry point of `npm run verify`; see scripts/verify-cli.ts.
import { verifyCli } from "./verify-cli";

void verifyCli(process.argv.slice(2), console, process.env).then((code) => {
  process.exitCode = code;
});
