// Entry point of `npm run verify`; see scripts/verify-cli.ts.
import { exitWith } from "./cli-io";
import { verifyCli } from "./verify-cli";

exitWith(verifyCli(process.argv.slice(2), console, process.env));
