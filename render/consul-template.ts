// consul-template actions the jobspecs' templates share.

/** Go regexp: an address with a colon that is not in brackets yet, i.e. an IPv6 address as Consul holds it. */
const UNBRACKETED_IPV6 = JSON.stringify("^[^\\[].*:");

/**
 * Sets `$host` to the current service instance's `.Address` as a `host:port` flag needs it: an IPv6 address in
 * brackets, any other as it is. Writes nothing; use it inside a `range service`.
 */
export const SERVICE_INSTANCE_HOST_PORT = `{{ $host := .Address }}{{ if regexMatch ${UNBRACKETED_IPV6} $host }}{{ $host = printf "[%s]" $host }}{{ end }}`;

/**
 * The same for a URL's host: an IPv6 address in brackets, with the `%` of a zone (`fe80::1%eth0`) written `%25`
 * (RFC 6874), which Go's URL parser requires.
 */
export const SERVICE_INSTANCE_URL_HOST = `{{ $host := .Address }}{{ if regexMatch ${UNBRACKETED_IPV6} $host }}{{ $host = printf "[%s]" (replaceAll "%" "%25" $host) }}{{ end }}`;
