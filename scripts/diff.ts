// Entry point of `npm run diff`; see scripts/diff-cli.ts.
import { keepHclParserOnBaselineCompiler } from "../diff/hcl-wasm";
import { exitWith } from "./cli-io";
import { diffCli } from "./diff-cli";

keepHclParserOnBaselineCompiler();

const colour = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
exitWith(diffCli(process.argv.slice(2), { log: console.log, error: console.error, colour }));
