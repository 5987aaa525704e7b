// consul-template actions the jobspecs' templates share.

/**
 * Sets `$host` to the current service instance's `.Address` as a URL or a `host:port` flag must carry it: an IPv6
 * address (the only form with a colon) in brackets, any other as it is. Writes nothing; use it inside a
 * `range service`.
 */
export const SERVICE_INSTANCE_HOST =
  '{{ $host := .Address }}{{ if regexMatch ":" $host }}{{ $host = printf "[%s]" $host }}{{ end }}';
