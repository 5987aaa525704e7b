// `npm run generate:packer`: writes packer/generated/<stack>/ for every Pulumi.<stack>.yaml, from the same
// renderer as the render CLI's <out>/packer/, and removes files and stack directories it no longer renders.
// The unit suite fails while the committed files differ from what this writes.
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, loadStackFile, stackFileName, stacksAmong } from "../config";
import { resolveStack } from "../model";
import { renderImageFiles } from "../render";

const PROJECT_DIR = path.resolve(__dirname, "..");
const GENERATED_DIR = path.join(PROJECT_DIR, "packer", "generated");

function main(): number {
  // Everything is rendered (and so validated) before the first file is touched.
  const rendered = stacksAmong(fs.readdirSync(PROJECT_DIR)).map((stack) => ({
    stack,
    files: renderImageFiles(
      resolveStack({ config: loadStackFile(path.join(PROJECT_DIR, stackFileName(stack))), stack }),
    ),
  }));
  fs.mkdirSync(GENERATED_DIR, { recursive: true });
  for (const entry of fs.readdirSync(GENERATED_DIR)) {
    if (!rendered.some((r) => r.stack === entry)) fs.rmSync(path.join(GENERATED_DIR, entry), { recursive: true });
  }
  for (const { stack, files } of rendered) {
    const dir = path.join(GENERATED_DIR, stack);
    fs.mkdirSync(dir, { recursive: true });
    const wanted = new Set(files.map((f) => path.join(dir, ...f.name.split("/"))));
    removeUnwanted(dir, wanted);
    for (const file of files) {
      const target = path.join(dir, ...file.name.split("/"));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content);
      console.log(path.relative(PROJECT_DIR, target));
    }
  }
  return 0;
}

/** Removes every file under `dir` that is not wanted, and every directory left without a wanted file. */
function removeUnwanted(dir: string, wanted: ReadonlySet<string>): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const entryPath = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      removeUnwanted(entryPath, wanted);
      if (fs.readdirSync(entryPath).length === 0) fs.rmdirSync(entryPath);
    } else if (!wanted.has(entryPath)) {
      fs.rmSync(entryPath);
    }
  }
}

try {
  process.exitCode = main();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`error: ${err.message}`);
  process.exitCode = 1;
}
