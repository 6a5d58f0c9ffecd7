/**
 * The user on whose behalf a request runs, as the app's authentication hook describes them: an
 * id plus whatever claims the app's permission checks need (roles, e-mail, tenant).
 */
export interface TaskUser {
  readonly id: string;
  readonly [claim: string]: unknown;
}
