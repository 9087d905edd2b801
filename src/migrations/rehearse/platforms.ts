import type { MigrationSet } from '../types.js';

/**
 * What the Supabase platform creates before any project migration runs, reduced to what migrations
 * reference: the `auth` and `storage` schemas with `auth.users`, `auth.uid()`/`role()`/`jwt()` and the
 * storage tables, and the `extensions` schema. Without them every Supabase project fails its first
 * migration in a plain Postgres. Roles are cluster-wide, so they are created only where the whole
 * cluster is the rehearsal's own (PGlite).
 */
const SUPABASE_OBJECTS = `
CREATE SCHEMA IF NOT EXISTS auth;
CREATE SCHEMA IF NOT EXISTS storage;
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE TABLE IF NOT EXISTS auth.users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text,
  phone text,
  role text,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  email_confirmed_at timestamptz,
  last_sign_in_at timestamptz,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
CREATE OR REPLACE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.role', true), '')::text $$;
CREATE OR REPLACE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.email', true), '')::text $$;
CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$ SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$;
CREATE TABLE IF NOT EXISTS storage.buckets (
  id text PRIMARY KEY,
  name text NOT NULL,
  owner uuid,
  public boolean DEFAULT false,
  file_size_limit bigint,
  allowed_mime_types text[],
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);
CREATE TABLE IF NOT EXISTS storage.objects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bucket_id text REFERENCES storage.buckets (id),
  name text,
  owner uuid,
  metadata jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  last_accessed_at timestamptz DEFAULT now()
);
`;

const SUPABASE_ROLES = ['anon', 'authenticated', 'service_role'];

/** What the rehearsal sets up before a set's first migration, and what it says about it. */
export interface PlatformSetup {
  /** SQL to run on the fresh database. */
  readonly sql: string;
  /** For the report's notes. */
  readonly note: string;
}

/**
 * The platform objects a set's migrations assume exist (Supabase's `auth`, `storage` and roles), or
 * undefined for frameworks that start from an empty database.
 *
 * @example platformSetup(supabaseSet, true)?.note
 */
export function platformSetup(set: MigrationSet, ownsCluster: boolean): PlatformSetup | undefined {
  if (set.framework !== 'supabase') return undefined;
  const roles = SUPABASE_ROLES.map((role) => `DO $$ BEGIN CREATE ROLE ${role} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;`).join('\n');
  return {
    sql: ownsCluster ? `${roles}\n${SUPABASE_OBJECTS}` : SUPABASE_OBJECTS,
    note: `${set.dir}: rehearsed on stand-ins for what the Supabase platform provides (auth.users, auth.uid()/role()/email()/jwt(), storage.buckets/objects, the extensions schema${ownsCluster ? ', the anon/authenticated/service_role roles' : ''})${ownsCluster ? '' : '; roles are cluster-wide, so policies and grants TO anon/authenticated/service_role need those roles on the server already'}`,
  };
}
