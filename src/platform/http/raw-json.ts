/**
 * A response body that is already JSON text (for instance built by PostgreSQL). Returned from a
 * handler, it is sent as is: no parse and re-serialise on the hot path.
 */
export class RawJson {
  constructor(readonly text: string) {}
}
