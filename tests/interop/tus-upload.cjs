// Uploads a file to servicebuero-platform with the official tus client
// (tus-js-client), the way any tus-speaking client would.
//   node tus-upload.cjs MODE URL TOKEN FILE
// MODE interrupt: abort after the first chunk, then resume from the
//   address the first attempt got; prints each PATCH's Upload-Offset.
// MODE retry: one upload that rides out dropped connections by retrying.
'use strict';
const path = require('path');
const fs = require('fs');
const tus = require(path.join(process.env.SB_NODE_MODULES, 'tus-js-client'));

const [mode, base, token, file] = process.argv.slice(2);
const data = fs.readFileSync(file);
const patches = [];

function options(extra) {
  return Object.assign({
    endpoint: base + '/v1/uploads',
    headers: { Authorization: 'Bearer ' + token },
    metadata: { filename: path.basename(file), filetype: 'application/pdf' },
    chunkSize: 1024 * 1024,
    retryDelays: null,
    storeFingerprintForResuming: false,
    onBeforeRequest(req) {
      if (req.getMethod() === 'PATCH') patches.push(Number(req.getHeader('Upload-Offset')));
    },
  }, extra);
}

function run(upload) {
  return new Promise((resolve, reject) => {
    upload.options.onSuccess = () => resolve(upload.url);
    upload.options.onError = reject;
    upload.start();
  });
}

async function interrupt() {
  const url = await new Promise((resolve, reject) => {
    const first = new tus.Upload(data, options({
      onChunkComplete() {
        // The connection goes away after the first chunk.
        first.abort(false).then(() => resolve(first.url), reject);
      },
      onError: reject,
    }));
    first.start();
  });
  // A moment later, as a new client would: from the address it kept.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const resumed = new tus.Upload(data, options({ uploadUrl: url }));
  const finalUrl = await run(resumed);
  return { url: finalUrl, firstUrl: url, patches };
}

async function retry() {
  const upload = new tus.Upload(data, options({ retryDelays: Array(40).fill(20) }));
  const url = await run(upload);
  return { url, patches };
}

(mode === 'interrupt' ? interrupt() : retry()).then(
  (result) => { console.log(JSON.stringify(result)); },
  (error) => { console.error(String(error)); process.exit(1); });
