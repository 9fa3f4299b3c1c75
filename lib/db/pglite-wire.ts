import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves one PGlite over the PostgreSQL wire protocol on loopback, for any number of
 * postgres.js connections.
 *
 * PGlite is a single backend, so connections must not interleave: one connection's unnamed
 * statement or portal (Parse … Bind … Execute … Sync) would be replaced by another's. A
 * connection therefore owns the backend from its first message until it is idle again —
 * after Sync or a simple Query, with no transaction open — and the others wait their turn.
 * This gives serial, safe semantics (as PostgreSQL with one connection at a time), and an
 * open transaction holds the others until it ends. We write this instead of using
 * @electric-sql/pglite-socket, whose queue interleaves messages (see docs/decisions.md).
 */

const SSL_REQUEST = 80877103;
const PROTOCOL_3 = 196608;

class BackendLock {
  private owner: object | null = null;
  private waiters: (() => void)[] = [];

  async acquire(holder: object): Promise<void> {
    while (this.owner !== null && this.owner !== holder) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.owner = holder;
  }

  release(holder: object): void {
    if (this.owner !== holder) return;
    this.owner = null;
    this.waiters.shift()?.();
  }

  heldBy(holder: object): boolean {
    return this.owner === holder;
  }
}

export type WireServer = { port: number; close: () => Promise<void> };

export async function serveWire(db: PGlite, options: { host?: string; port?: number } = {}): Promise<WireServer> {
  const lock = new BackendLock();
  const sockets = new Set<net.Socket>();

  const run = async (socket: net.Socket, message: Uint8Array) => {
    await db.execProtocolRawStream(message, {
      onRawData: (chunk) => {
        if (chunk.length > 0 && socket.writable) socket.write(chunk);
      },
    });
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const connection = {};
    let buffer = Buffer.alloc(0);
    let started = false;
    let chain = Promise.resolve();

    const next = (): Buffer | null => {
      if (!started) {
        if (buffer.length < 8) return null;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return null;
        const message = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        return message;
      }
      if (buffer.length < 5) return null;
      const length = 1 + buffer.readInt32BE(1);
      if (buffer.length < length) return null;
      const message = buffer.subarray(0, length);
      buffer = buffer.subarray(length);
      return message;
    };

    const handle = async (message: Buffer) => {
      let endOfBatch: boolean;
      if (!started) {
        const code = message.readInt32BE(4);
        if (code === SSL_REQUEST) return void socket.write("N");
        if (code !== PROTOCOL_3) return void socket.end(); // CancelRequest or an unknown protocol
        started = true;
        endOfBatch = true; // the startup answer ends with ReadyForQuery
      } else {
        const type = message[0];
        if (type === 0x58 /* X: Terminate */) {
          await finish();
          return void socket.end();
        }
        endOfBatch = type === 0x53 /* S: Sync */ || type === 0x51; /* Q: simple Query */
      }
      await lock.acquire(connection);
      await run(socket, new Uint8Array(message));
      if (endOfBatch && !db.isInTransaction()) lock.release(connection);
    };

    // A connection that goes away mid-transaction must not leave the backend in it.
    const finish = async () => {
      if (!lock.heldBy(connection)) return;
      try {
        if (db.isInTransaction()) await db.exec("ROLLBACK");
      } finally {
        lock.release(connection);
      }
    };

    socket.on("data", (data) => {
      buffer = Buffer.concat([buffer, data]);
      chain = chain.then(async () => {
        for (let message = next(); message; message = next()) {
          if (socket.destroyed) return;
          await handle(message);
        }
      }).catch(() => {
        socket.destroy();
      });
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      sockets.delete(socket);
      chain = chain.then(finish, finish);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
