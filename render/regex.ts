// Text quoted for a regular expression: Go's regexp (RE2: Prometheus, consul-template, promtool --run) and
// JavaScript's take the same escapes for these characters.
export const regexQuote = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
