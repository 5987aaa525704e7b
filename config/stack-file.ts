// Stack files are named as the Pulumi CLI names them: Pulumi.<stack>.yaml.

const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

/** `prod` → `Pulumi.prod.yaml`. */
export function stackFileName(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}

/** `Pulumi.prod.yaml` → `prod`; undefined for a file name that is not a stack file's. */
export function stackOfFileName(fileName: string): string | undefined {
  return STACK_FILE.exec(fileName)?.[1];
}

/** The stacks among these file names (a directory's listing), sorted. */
export function stacksAmong(fileNames: readonly string[]): string[] {
  return fileNames
    .map(stackOfFileName)
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}
