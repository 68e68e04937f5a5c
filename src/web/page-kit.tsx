/** @jsxImportSource hono/jsx */
// What every page route shares: sending a page, who is signed in, field errors beside their fields.
import type { Context } from 'hono';
import type { ErrorDetail } from '../domain/errors.js';
import type { AppEnv } from '../http/env.js';
import type { Principal } from '../services/ports.js';

export type PageContext = Context<AppEnv>;

export const GRADE_NAMES: Readonly<Record<string, string>> = { excellent: '优', good: '良', fair: '中', poor: '差' };

export async function send(c: PageContext, node: unknown, status = 200): Promise<Response> {
  const body = String(await node);
  return c.html(`<!DOCTYPE html>${body}`, status as 200);
}

export function principalOrNull(c: PageContext): Principal | null {
  return c.get('sessionPrincipal') ?? null;
}

export function requireSignIn(c: PageContext): Principal | Response {
  const principal = principalOrNull(c);
  return principal ?? c.redirect('/signin', 303);
}

/** A form as it was posted and what was wrong with it: field name → message (a Map: the names come from the post). */
export interface PostedForm {
  readonly values: ReadonlyMap<string, string>;
  readonly errors: ReadonlyMap<string, string>;
  /** said at the top of the form */
  readonly message: string | null;
}

export const emptyForm = (): PostedForm => ({ values: new Map(), errors: new Map(), message: null });

/** A service's error details as field errors: `fieldOf` maps a detail path to a field name (null: the top message). */
export function formFromError(values: ReadonlyMap<string, string>, message: string, details: readonly ErrorDetail[], fieldOf: (path: string) => string | null): PostedForm {
  const errors = new Map<string, string>();
  const unplaced: string[] = [];
  for (const d of details.slice(0, 100)) {
    const field = fieldOf(d.path);
    if (field === null) unplaced.push(d.message);
    else if (!errors.has(field)) errors.set(field, d.message);
  }
  return { values, errors, message: [message, ...unplaced].join('；') };
}

/** The error slot after a field: its id is what the field's aria-describedby names. */
export function FieldError({ id, form, name }: { id: string; form: PostedForm | undefined; name: string }) {
  const message = form?.errors.get(name);
  return (
    <span class="field-error" id={id} role={message ? 'alert' : undefined}>
      {message ?? ''}
    </span>
  );
}

export function invalid(form: PostedForm | undefined, name: string): 'true' | undefined {
  return form?.errors.has(name) ? 'true' : undefined;
}

export function FormMessage({ form, id }: { form: PostedForm | undefined; id?: string }) {
  if (!form?.message) return null;
  return (
    <p class="error-box" role="alert" id={id}>
      {form.message}
    </p>
  );
}
