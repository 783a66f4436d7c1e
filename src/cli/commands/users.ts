import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { deleteUser, editUser, listUsers, purgeUsers, restoreUser, showUser } from '../../app/users.js';
import type { UserView } from '../../app/views.js';
import { act, DAYS_MAX, intArg } from '../program.js';
import type { Runtime } from '../runtime.js';
import { AUDIT_HEAD, USER_HEAD, auditRows, userRows } from '../render.js';
import { dutchDateTime, dutchDay } from '../../dutch.js';

function renderUser(rt: Runtime, u: UserView): void {
  const { out } = rt;
  out.print(out.c.bold(`#${u.id} ${u.displayName}`) + (u.status === 'deleted' ? out.c.red(' [deleted]') : '') + (u.listed ? out.c.blue(' [on the exception list]') : ''));
  out.print(`  email       ${u.email || out.c.dim('(none)')}`);
  out.print(`  name        ${[u.givenName, u.prefix && `(${u.prefix})`, u.familyName].filter(Boolean).join(' ')}`);
  out.print(`  role        ${u.role || out.c.dim('(none)')}`);
  out.print(`  status      ${u.status}${u.deletedAt ? ` since ${dutchDateTime(u.deletedAt)} (${u.deletedCause ?? u.deletedBy ?? ''})` : ''}`);
  out.print(`  owner       ${u.owner === 'hub' ? 'hub (change it here)' : 'source (change it in the source system)'}`);
  if (u.notOfferedSince && u.status === 'active') {
    out.print(`  offered     ${out.c.yellow(`no source offers it since ${dutchDay(u.notOfferedSince)}`)}${u.listed ? ' — kept by the list' : ' — pending deletion'}`);
  }
  out.print(`  links       ${u.links.length ? u.links.map((l) => `${l.source}:${l.externalId}${l.active ? '' : out.c.dim(' (not offered)')}`).join(', ') : out.c.dim('none (a hub account)')}`);
  if (u.relations.length) out.print(`  relations   ${u.relations.map((r) => `${r.organisation}${r.group ? ` / ${r.group}` : ''} ${out.c.dim(`(${r.source})`)}`).join('\n              ')}`);
  out.print(`  created     ${dutchDateTime(u.createdAt)}   updated ${dutchDateTime(u.updatedAt)}`);
}

export function registerUsers(program: Command, rt: Runtime): void {
  const users = program.command('users').description('accounts: list, show, edit, delete, restore');

  users
    .command('list')
    .description('accounts, in Dutch order of family name (active ones; --status deleted or --all for the Deleted users)')
    .option('--status <status>', 'active | deleted (default: active)')
    .option('--all', 'active and deleted accounts')
    .option('--owner <owner>', 'source | hub')
    .option('--search <text>', 'part of a name, email, externalId (or source:externalId), school or group')
    .option('--limit <n>', 'at most this many', intArg('--limit', 1))
    .action(
      act(rt, (flags: { status?: string; all?: boolean; owner?: string; search?: string; limit?: number }) => {
        if (flags.status && !['active', 'deleted'].includes(flags.status)) throw usageError(`--status must be active or deleted, not "${flags.status}".`);
        if (flags.status && flags.all) throw usageError('--status and --all contradict each other.', 'Pass one of them.');
        if (flags.owner && !['source', 'hub'].includes(flags.owner)) throw usageError(`--owner must be source or hub, not "${flags.owner}".`);
        const status = flags.all ? undefined : ((flags.status ?? 'active') as 'active' | 'deleted');
        const { users: list, total } = listUsers(rt.context(), { status, owner: flags.owner as 'source' | 'hub' | undefined, search: flags.search, limit: flags.limit });
        rt.out.result(list, (l) => {
          if (l.length === 0) return rt.out.info(status === 'active' ? 'No active accounts match (deleted ones: --status deleted or --all).' : 'No accounts match.');
          rt.out.print(rt.out.table(USER_HEAD, userRows(l)));
          const what = status === 'deleted' ? 'deleted accounts' : status === 'active' ? 'active accounts' : 'accounts';
          rt.out.info(rt.out.e.dim(l.length < total ? `${l.length} of ${total} ${what}` : `${total} ${total === 1 ? what.replace('accounts', 'account') : what}`));
        });
      }),
    );

  users
    .command('show <user>')
    .description('one account: attributes, owner, links, relations, exception, recent history')
    .action(
      act(rt, (ref: string) => {
        const d = showUser(rt.context(), ref);
        rt.out.result({ ...d.user, exception: d.exception, history: d.history }, () => {
          renderUser(rt, d.user);
          if (d.exception) {
            const e = d.exception;
            rt.out.print(`  exception   ${e.reason}${e.until ? ` (until ${e.until})` : ''} — added ${dutchDay(e.createdAt)} by ${e.createdBy}`);
          }
          if (d.history.length) {
            rt.out.print('');
            rt.out.print(rt.out.c.bold('Recent history'));
            rt.out.print(rt.out.table(AUDIT_HEAD, auditRows(d.history, new Map([[d.user.id, d.user.displayName]]))));
          }
        });
      }),
    );

  users
    .command('edit <user>')
    .description("change an account's attributes (a source-owned account asks first: R13)")
    .option('--given-name <name>')
    .option('--prefix <prefix>', 'tussenvoegsel ("" for none)')
    .option('--family-name <name>')
    .option('--email <email>')
    .option('--force', 'change a source-owned account without asking (the next sync overwrites it)')
    .action(
      act(rt, async (ref: string, flags: { givenName?: string; prefix?: string; familyName?: string; email?: string; force?: boolean }) => {
        const r = await editUser(rt.context(), ref, { givenName: flags.givenName, prefix: flags.prefix, familyName: flags.familyName, email: flags.email }, !!flags.force);
        rt.out.result({ ...r.user, changed: r.changed }, (x) => {
          if (r.changed.length === 0) rt.out.info('Nothing changed: the account has these values already.');
          else rt.out.success(`Changed ${r.changed.join(', ')} of #${x.id} ${x.displayName}.`);
        });
      }),
    );

  users
    .command('delete <user>')
    .description('soft-delete to Deleted users; takes it off the exception list (R3, R7, R14)')
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      act(rt, async (ref: string, flags: { reason?: string }) => {
        const r = await deleteUser(rt.context(), ref, flags.reason);
        rt.out.result({ ...r.user, wasListed: r.wasListed, offeredBy: r.offeredBy }, (x) => {
          rt.out.success(`#${x.id} ${x.displayName} moved to Deleted users${r.wasListed ? ' and taken off the exception list' : ''}.`);
          if (r.offeredBy.length) rt.out.warn('A source still offers it: the next sync will restore it.');
        });
      }),
    );

  users
    .command('purge')
    .description('erase accounts deleted longer than --older-than days ago (personal data retention); irreversible')
    .requiredOption('--older-than <days>', 'erase accounts that have been in Deleted users this many days', intArg('--older-than', 1, DAYS_MAX))
    .option('--dry-run', 'show which accounts would be erased')
    .action(
      act(rt, async (flags: { olderThan: number; dryRun?: boolean }) => {
        const r = await purgeUsers(rt.context(), flags.olderThan, !!flags.dryRun);
        rt.out.result(r, () => {
          if (r.purged.length === 0) return rt.out.info(`No account has been deleted for more than ${r.olderThan} days.`);
          if (r.dryRun) {
            rt.out.print(
              rt.out.table(
                [{ head: 'id', id: true }, { head: 'name', keep: true }, { head: 'deleted' }, { head: 'cause' }],
                r.purged.map((p) => [p.id, p.displayName, dutchDateTime(p.deletedAt), p.deletedCause ?? '']),
              ),
            );
            rt.out.info(`${r.purged.length} account(s) would be erased. Run without --dry-run to erase them.`);
          } else rt.out.success(`Erased ${r.purged.length} account(s) deleted before ${dutchDay(r.before)}.`);
        });
      }),
    );

  users
    .command('restore <user>')
    .description('restore from Deleted users, as a hub account without source links (R8)')
    .action(
      act(rt, (ref: string) => {
        const r = restoreUser(rt.context(), ref);
        rt.out.result({ ...r.user, unlinked: r.unlinked }, (x) => {
          rt.out.success(`#${x.id} ${x.displayName} restored. It is a hub account now: no source link, not on the exception list, never deleted by a sync.`);
        });
      }),
    );
}
