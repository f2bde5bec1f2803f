import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chmodSync } from 'node:fs';
import { Child, childPids, freePort, memoryOf } from './processes.js';
import type { Tracked } from './usage.js';

/** An nginx the bench started: one 127.0.0.1 port per upstream, its files in a temp dir. */
export interface Nginx {
  child: Child;
  /** Base URL per upstream name. */
  urls: Record<string, string>;
  /** nginx's worker process, for CPU and RSS. */
  worker: Tracked;
}

const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

/**
 * Starts nginx in the foreground (`daemon off`) with a generated config: per upstream a
 * least_conn pool of `ports` with idle keep-alive connections, and a server on a free 127.0.0.1
 * port proxying to it over HTTP/1.1. Pid, logs and temp files stay in the temp dir, removed when
 * nginx exits.
 */
export async function startNginx(upstreams: Record<string, number[]>): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'scaleshop-bench-nginx-'));
  mkdirSync(join(dir, 'logs'));
  chmodSync(dir, 0o755); // workers run as nobody when the bench runs as root
  const urls: Record<string, string> = {};
  const blocks: string[] = [];
  for (const [name, ports] of Object.entries(upstreams)) {
    const listen = await freePort();
    urls[name] = `http://127.0.0.1:${listen}`;
    blocks.push(`
  upstream ${name} {
    least_conn;
${ports.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${listen};
    location / {
      proxy_pass http://${name};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_buffers 16 16k;
      proxy_max_temp_file_size 0;
    }
  }`);
  }
  const conf = join(dir, 'nginx.conf');
  // One worker process: the machine has two cores for everything; access log off (disk I/O).
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  # The default (1000) closes a client connection mid-run: autocannon counts that as an error.
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${blocks.join('\n')}
}
`,
  );
  const child = Child.spawn(
    'nginx',
    NGINX,
    ['-p', dir, '-c', conf, '-e', `${dir}/logs/error.log`, '-g', 'daemon off;'],
    () => rmSync(dir, { recursive: true, force: true }),
  );
  for (const url of Object.values(urls)) {
    await child.waitFor(async () => (await fetch(`${url}/health/live`)).status === 200, 10_000);
  }
  const pid = childPids(child.pid)[0];
  return { child, urls, worker: { name: 'nginx', pid, memory: () => memoryOf(pid) } };
}
