/**
 * The web console's files, served at `/`: the page and its stylesheet (control-plane/console/static) and its
 * scripts, compiled from control-plane/console/src into control-plane/console/dist by `npm run build`. A strict Content Security
 * Policy keeps the page to this origin: no external fonts, scripts or requests.
 */
import path from 'node:path';
import express from 'express';
import type { Router } from 'express';

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const STATIC_DIR = path.join(PACKAGE_ROOT, 'console', 'static');
const SCRIPTS_DIR = path.join(PACKAGE_ROOT, 'console', 'dist');

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function consoleRouter(): Router {
  const router = express.Router();
  router.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.setHeader('content-security-policy', CSP);
      res.setHeader('referrer-policy', 'no-referrer');
    }
    next();
  });
  router.use(express.static(STATIC_DIR, { index: 'index.html', redirect: false }));
  router.use('/js', express.static(SCRIPTS_DIR, { index: false, redirect: false }));
  return router;
}

