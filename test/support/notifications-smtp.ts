import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** One message the test server accepted, with its headers read from the raw stream. */
export interface ReceivedMail {
  envelopeTo: string[];
  headers: Map<string, string>;
  raw: string;
}

/**
 * A real SMTP server on 127.0.0.1 for e2e tests. It records what it accepts, counts every RCPT
 * it is offered, and answers 550 (permanent) for addresses listed in `reject`.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  readonly reject = new Set<string>();
  readonly rcptAttempts = new Map<string, number>();
  private server?: SMTPServer;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      // No TLS upgrade: nodemailer would try STARTTLS against the built-in self-signed cert.
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        const to = address.address.toLowerCase();
        this.rcptAttempts.set(to, (this.rcptAttempts.get(to) ?? 0) + 1);
        if (this.reject.has(to)) {
          const err = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
          return callback(err);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.received.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            headers: parseHeaders(raw),
            raw,
          });
          callback();
        });
      },
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Mails whose envelope went to `address`. */
  mailsTo(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.envelopeTo.includes(address.toLowerCase()));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** RFC 5322 header block: up to the first empty line, folded lines unfolded, names lower-cased. */
export function parseHeaders(raw: string): Map<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Decodes quoted-printable text (how nodemailer sends non-ASCII bodies): soft breaks, =XX bytes. */
export function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
