// Benchmark (printed, never asserted): HashiCorp's HCL parser (WASM) on every rendered jobspec of both stacks, in a
// fresh process each time, with V8's default WebAssembly tiering and with keepHclParserOnBaselineCompiler (see
// diff/hcl-wasm.ts). Usage: npm run bench:hcl
import { spawnSync } from "node:child_process";
import { parse } from "@cdktf/hcl2json";
import { keepHclParserOnBaselineCompiler } from "../diff/hcl-wasm";
import { renderArtifacts } from "../render";
import { loadStack, modelOf, STACKS } from "./support/stack";

const ROUNDS = 6;
const PROCESSES = 3;

async function parseAll(): Promise<{ parses: number; wallMs: number; cpuMs: number }> {
  const texts = STACKS.flatMap((stack) =>
    renderArtifacts(modelOf(loadStack(stack), stack))
      .filter((a) => a.path.endsWith(".hcl"))
      .map((a) => a.content),
  );
  const cpu = process.cpuUsage();
  const start = performance.now();
  // Each text a little different every round, as a test run's texts are: no cache anywhere can answer.
  for (let round = 0; round < ROUNDS; round++) {
    for (const text of texts) await parse("bench.hcl", `${text}\n# round ${round}\n`);
  }
  const used = process.cpuUsage(cpu);
  return { parses: texts.length * ROUNDS, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

if (process.argv[2] === "--child") {
  if (process.argv[3] === "baseline") keepHclParserOnBaselineCompiler();
  void parseAll().then((result) => console.log(JSON.stringify(result)));
} else {
  for (const mode of ["default", "baseline"]) {
    const runs = Array.from({ length: PROCESSES }, () => {
      const child = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", mode], {
        encoding: "utf8",
      });
      if (child.status !== 0) throw new Error(child.stderr);
      return JSON.parse(child.stdout) as { parses: number; wallMs: number; cpuMs: number };
    });
    const shown = runs.map((r) => `${r.wallMs.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU`).join("; ");
    console.log(`${mode.padEnd(8)} ${runs[0]!.parses} parses per process: ${shown}`);
  }
}
