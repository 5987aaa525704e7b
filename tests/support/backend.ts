// Tiny in-process HTTP backends on loopback that stand in for the services Fabio routes to.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface Backend {
  readonly port: number;
  /** `http://127.0.0.1:<port>`, or the address it listens on (an IPv6 one in brackets) */
  readonly url: string;
  /** Every path requested so far, in order: proves which backend a proxied request reached. */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Answers each path in `routes` with 200 and its body, `/health` with 200 "OK" (for the Consul check)
 * and anything else with 404, so a request that reaches the wrong path shows up as a failure. Listens on a free
 * port of 127.0.0.1 unless `listen` says where.
 */
export async function startBackend(
  routes: Record<string, string>,
  listen: { host: string; port: number } = { host: "127.0.0.1", port: 0 },
): Promise<Backend> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? "";
    if (path === "/health") {
      res.writeHead(200, { "Content-Type": "text/plain" }).end("OK");
      return;
    }
    requests.push(path);
    const body = routes[path];
    if (body === undefined) res.writeHead(404, { "Content-Type": "text/plain" }).end(`no route for ${path}`);
    else res.writeHead(200, { "Content-Type": "text/plain" }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${listen.host.includes(":") ? `[${listen.host}]` : listen.host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
