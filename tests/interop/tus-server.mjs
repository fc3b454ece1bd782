// The official tus server (@tus/server with its file store) on loopback,
// for the desk's tus client to upload to.
//   node tus-server.mjs DIRECTORY   → prints "Listening on http://127.0.0.1:PORT/files"
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.env.SB_NODE_MODULES, 'x.js'));
const { Server } = require('@tus/server');
const { FileStore } = require('@tus/file-store');

const directory = process.argv[2];
const tus = new Server({ path: '/files', datastore: new FileStore({ directory }) });
const server = http.createServer((req, res) => tus.handle(req, res));
server.listen(0, '127.0.0.1', () => {
  console.log(`Listening on http://127.0.0.1:${server.address().port}/files`);
});
