// Consul 1.8 and Nomad 1.1 read agent config with HCL v1, where the HCL 2 escapes `$${` and `%%{` do not
// exist. These values go through the same writer and escape as the image files, into the real agents.
export const HCL1_HOSTILE = [
  'a "quoted" value',
  "back\\slash\\",
  "dollar ${var.x} and $${already}",
  "percent %{ if }%%{",
  "✓",
];
