// Entry point of `npm run diff`; see scripts/diff-cli.ts.
import { diffCli } from "./diff-cli";

void diffCli(process.argv.slice(2), { log: console.log, error: console.error, isTty: process.stdout.isTTY }).then(
  (code) => {
    process.exitCode = code;
  },
);
