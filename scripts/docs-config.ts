// Entry point of `npm run docs:config`: writes docs/config-reference.md; see scripts/config-reference.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT, exitWith, PROJECT_DIR } from "./cli-io";
import { CONFIG_REFERENCE, configReference } from "./config-reference";

exitWith(() => {
  const target = path.join(PROJECT_DIR, CONFIG_REFERENCE);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, configReference());
  console.log(CONFIG_REFERENCE);
  return EXIT.ok;
});
