/**
 * Serves the front end: studio/ from the package, and the few browser libraries it imports straight from
 * their installed packages under /vendor/<package>/ (no CDN, no build step: `npm ci` is enough).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';
import { packageRoot } from '../paths.js';

const studioDir = join(packageRoot, 'studio');
const require = createRequire(import.meta.url);

/** The browser libraries the pages import (see the import map in studio/index.html). */
const VENDOR_PACKAGES = ['preact', 'htm', 'uplot'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const vendorDirs = new Map<string, string>();

function vendorDir(name: string): string {
  let dir = vendorDirs.get(name);
  if (!dir) {
    const entry = require.resolve(name);
    const marker = `${sep}node_modules${sep}${name}${sep}`;
    dir = entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1);
    vendorDirs.set(name, dir);
  }
  return dir;
}

/** Serves a GET for a static path; false when there is no such file. */
export function serveStatic(pathname: string, res: ServerResponse): boolean {
  let file: string | null;
  const vendor = /^\/vendor\/([^/]+)\/(.+)$/.exec(pathname);
  if (vendor) file = VENDOR_PACKAGES.includes(vendor[1]) ? inside(vendorDir(vendor[1]), vendor[2]) : null;
  else file = inside(studioDir, pathname === '/' ? 'index.html' : pathname.slice(1));
  if (!file || !existsSync(file) || !statSync(file).isFile()) return false;
  res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  createReadStream(file).pipe(res);
  return true;
}

function inside(root: string, relativePath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relativePath);
  } catch {
    return null; // a malformed escape names no file
  }
  const file = normalize(join(root, decoded));
  return file.startsWith(root + sep) ? file : null;
}
