import { buildApp } from '../support/app-process';

/** The HTTP tests attack the built server; each file starts its own app on it (see app.ts). */
export default async function setup() {
  await buildApp();
}
