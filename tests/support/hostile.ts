// Values that change a file's structure wherever an escape is missing: quotes, backslashes, HCL's `${` and `%{`
// (and their escaped forms), consul-template's `{{ }}`, line breaks, a heredoc marker, non-ASCII. Renderers are
// tested with them, including values validation would refuse, and real readers read them back.
export const HOSTILE = [
  'a "quoted" value',
  "back\\slash\\",
  "dollar ${var.x} and $${already} and $",
  "percent %{ if true }x%{ endif } and %%{",
  'go template {{ env "HOME" }} }}',
  "multi\nline\r\nvalue\twith tab",
  'closing "\n}\njob "evil" {\nserver = false\ntelemetry {',
  "EOT",
  "unicode ✓ ü",
];

/**
 * The ones on a single line without `{{`: what a Consul agent keeps as written in a field it reads as a
 * go-sockaddr template with whitespace collapsed, such as retry_join.
 */
export const HOSTILE_SINGLE_LINE = HOSTILE.filter((value) => !/[\r\n\t]|\{\{/.test(value));
