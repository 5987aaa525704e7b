// Entry point of `npm run diff`; see scripts/diff-cli.ts.
import { diffCli } from "./diff-cli";

const colour = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
void diffCli(process.argv.slice(2), { log: console.log, error: console.error, colour }).then((code) => {
  process.exitCode = code;
});
