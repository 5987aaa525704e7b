// Entry point of `npm run generate:packer`; see scripts/generate-packer-cli.ts.
import { exitWith } from "./cli-io";
import { generatePackerCli } from "./generate-packer-cli";

exitWith(() => generatePackerCli(process.argv.slice(2), console));
