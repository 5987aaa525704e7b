// What the vitest configs of the test tiers share.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Where vitest keeps transformed modules between runs: beside the test tools' cache (scripts/install-test-tools.sh),
 * not in node_modules, which every `npm ci` recreates; one directory per checkout, since vitest keys its entries by
 * the checkout's path and empties the whole directory when the lockfile changes. Where that cannot be written,
 * vitest's own default in node_modules.
 */
function moduleCachePath(): string | undefined {
  const userCache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  // The checkout: the working directory, where npm runs the test scripts (vitest run --root from elsewhere would
  // share the directory of that working directory; __dirname or import.meta would name the checkout, but the one
  // makes vite warn and the other is not CommonJS, which tsconfig.json checks these files as).
  const id = createHash("sha1").update(process.cwd()).digest("hex").slice(0, 12);
  const dir = path.join(userCache, "rocketmq-system-jobs", "vitest", id);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    return dir;
  } catch {
    return undefined;
  }
}

/** vitest's `experimental` settings: transformed modules kept between runs (keyed by content). */
export const moduleCache = { fsModuleCache: true, fsModuleCachePath: moduleCachePath() };
