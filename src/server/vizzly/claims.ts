// Claims of Vizzly's dashboard and query-engine access tokens: input types, checks, exact payloads.
import {
  fail,
  givenKeys,
  isPlainObject,
  onlyKeys,
  requireBoolean,
  requireChoice,
  requireString,
  requireStringList,
} from './validate.js';

/** `admin` users can edit parent dashboards and the library; `standard` users (the default) cannot. */
export type VizzlyAccessType = 'admin' | 'standard';
/** `read_write` (the default) lets the user build custom dashboards; `read` only views. */
export type VizzlyScope = 'read' | 'read_write';

interface DashboardClaimsBase {
  /** `"admin"` or `"standard"` (default `"standard"`). */
  accessType?: VizzlyAccessType;
  /** Your app's stable id for the signed-in user; Vizzly keys the user's custom dashboards on it. */
  userReference: string;
  /** `"read"` or `"read_write"` (default `"read_write"`). */
  scope?: VizzlyScope;
}

/** Dashboard access claims, current form (`projectId`, optional `parentDashboardIds`). */
export interface DashboardClaims extends DashboardClaimsBase {
  /** Your Vizzly project (`prj_…`); defaults to the signer's `projectId`. */
  projectId?: string;
  /** Parent dashboards the user may see; the key is left out of the token when not given. */
  parentDashboardIds?: string[];
  organisationId?: undefined;
  dashboardId?: undefined;
}

/** Dashboard access claims, legacy form (before late 2023): `organisationId` + `dashboardId`. */
export interface LegacyDashboardClaims extends DashboardClaimsBase {
  /** Your Vizzly organisation (`org_…`). */
  organisationId: string;
  /** The parent dashboard (`dsh_…`). */
  dashboardId: string;
  projectId?: undefined;
  parentDashboardIds?: undefined;
}

/** Either form of dashboard access claims; the form is chosen by the presence of `organisationId`/`dashboardId`. */
export type DashboardAccessClaims = DashboardClaims | LegacyDashboardClaims;

/** Payload of a current-form dashboard access token: exactly these keys. */
export type DashboardTokenPayload = {
  accessType: VizzlyAccessType;
  projectId: string;
  userReference: string;
  scope: VizzlyScope;
  parentDashboardIds?: string[];
  expires: string;
};

/** Payload of a legacy-form dashboard access token: exactly these keys. */
export type LegacyDashboardTokenPayload = {
  accessType: VizzlyAccessType;
  organisationId: string;
  dashboardId: string;
  userReference: string;
  scope: VizzlyScope;
  expires: string;
};

/** Query-engine access claims (self-hosted query engine); both flags default to `false`. */
export interface QueryEngineClaims {
  /** May the user preview raw rows in the config manager? (default `false`) */
  allowDataPreviewAccess?: boolean;
  /** May the user read the database schema in the config manager? (default `false`) */
  allowDatabaseSchemaAccess?: boolean;
  /** Defaults to the signer's `projectId`; left out of the token when neither is set. */
  projectId?: string;
}

/** Payload of a query-engine access token. */
export type QueryEngineTokenPayload = {
  projectId?: string;
  allowDataPreviewAccess: boolean;
  allowDatabaseSchemaAccess: boolean;
  expires: string;
};

/** What every payload builder gets from the signer. */
export interface PayloadContext {
  /** The signer's configured project, if any. */
  projectId: string | undefined;
  /** ISO time the token stops being valid. */
  expires: string;
}

const ACCESS_TYPES = ['standard', 'admin'] as const;
const SCOPES = ['read_write', 'read'] as const;
const CURRENT_KEYS = ['accessType', 'projectId', 'userReference', 'scope', 'parentDashboardIds'] as const;
const LEGACY_KEYS = ['accessType', 'organisationId', 'dashboardId', 'userReference', 'scope'] as const;

/** Resolves the project id: the claims' own, else the signer's; checked when present. */
export function resolveProjectId(
  claims: Record<string, unknown>,
  context: PayloadContext,
  where: string,
): string | undefined {
  const projectId = claims.projectId ?? context.projectId;
  return projectId === undefined
    ? undefined
    : requireString(projectId, where, 'projectId', 'your Vizzly project id, prj_…');
}

/** Builds the exact payload of a dashboard access token, current or legacy form. Throws `invalid-input`. */
export function dashboardPayload(
  claims: DashboardAccessClaims,
  context: PayloadContext,
): DashboardTokenPayload | LegacyDashboardTokenPayload {
  const where = 'Vizzly dashboard claims';
  if (!isPlainObject(claims)) fail(`${where} must be an object like {userReference: "user-1", scope: "read_write"}.`);
  const keys = givenKeys(claims);
  const legacy = keys.includes('organisationId') || keys.includes('dashboardId');
  if (legacy && (keys.includes('projectId') || keys.includes('parentDashboardIds'))) {
    fail(
      `${where} mix the legacy form (organisationId + dashboardId) with the current form (projectId + parentDashboardIds); use one form.`,
    );
  }
  onlyKeys(claims, legacy ? LEGACY_KEYS : CURRENT_KEYS, where);
  const accessType = requireChoice(claims.accessType, ACCESS_TYPES, 'standard', where, 'accessType');
  const userReference = requireString(
    claims.userReference,
    where,
    'userReference',
    "your app's stable id for the signed-in user",
  );
  const scope = requireChoice(claims.scope, SCOPES, 'read_write', where, 'scope');
  if (legacy) {
    const organisationId = requireString(
      claims.organisationId,
      where,
      'organisationId',
      'legacy form: your Vizzly organisation id, org_…',
    );
    const dashboardId = requireString(
      claims.dashboardId,
      where,
      'dashboardId',
      'legacy form: the parent dashboard id, dsh_…',
    );
    return { accessType, organisationId, dashboardId, userReference, scope, expires: context.expires };
  }
  const projectId = resolveProjectId(claims, context, where);
  if (projectId === undefined) {
    fail(
      `${where} need a projectId: pass projectId to createSigner() (or in the claims), or use the legacy form with organisationId + dashboardId.`,
    );
  }
  if (claims.parentDashboardIds === undefined)
    return { accessType, projectId, userReference, scope, expires: context.expires };
  const parentDashboardIds = requireStringList(claims.parentDashboardIds, where, 'parentDashboardIds');
  return { accessType, projectId, userReference, scope, parentDashboardIds, expires: context.expires };
}

/** Builds the exact payload of a query-engine access token. Throws `invalid-input`. */
export function queryEnginePayload(claims: QueryEngineClaims, context: PayloadContext): QueryEngineTokenPayload {
  const where = 'Vizzly query-engine claims';
  if (!isPlainObject(claims))
    fail(`${where} must be an object like {allowDataPreviewAccess: false, allowDatabaseSchemaAccess: false}.`);
  onlyKeys(claims, ['allowDataPreviewAccess', 'allowDatabaseSchemaAccess', 'projectId'], where);
  const projectId = resolveProjectId(claims as Record<string, unknown>, context, where);
  const allowDataPreviewAccess = requireBoolean(claims.allowDataPreviewAccess, false, where, 'allowDataPreviewAccess');
  const allowDatabaseSchemaAccess = requireBoolean(
    claims.allowDatabaseSchemaAccess,
    false,
    where,
    'allowDatabaseSchemaAccess',
  );
  const flags = { allowDataPreviewAccess, allowDatabaseSchemaAccess, expires: context.expires };
  return projectId === undefined ? flags : { projectId, ...flags };
}
