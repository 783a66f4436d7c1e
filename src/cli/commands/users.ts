import { usageError } from '../../errors.js';
import { deleteUser, editUser, listUsers, purgeUsers, restoreUser, showUser } from '../../app/users.js';
import type { UserView } from '../../app/views.js';
import { act, DAYS_MAX, intArg, type Parent } from '../define.js';
import type { Runtime } from '../runtime.js';
import { AUDIT_HEAD, USER_HEAD, auditRows, localDetail, userRows } from '../render.js';
import { dutchDateTime, dutchDay } from '../../dutch.js';
import { day, t } from '../../i18n/index.js';

function renderUser(rt: Runtime, u: UserView): void {
  const { out } = rt;
  out.print(
    out.c.bold(`#${u.id} ${u.displayName}`) + (u.status === 'deleted' ? out.c.red(` ${t.deletedMark()}`) : '') + (u.listed ? out.c.blue(t.onListMark()) : ''),
  );
  out.print(`  ${label('email')}${u.email || out.c.dim(t.none())}`);
  out.print(`  ${label('name')}${[u.givenName, u.prefix && `(${u.prefix})`, u.familyName].filter(Boolean).join(' ')}`);
  out.print(`  ${label('role')}${u.role ? t.roleCell({ role: u.role }) : out.c.dim(t.none())}`);
  out.print(
    `  ${label('status')}${t.statusLine({ status: u.status, since: u.deletedAt ? day(dutchDateTime(u.deletedAt)) : '', cause: localDetail(u.deletedCause ?? u.deletedBy ?? '') })}`,
  );
  out.print(`  ${label('owner')}${t.ownerLine({ owner: u.owner })}`);
  if (u.notOfferedSince && u.status === 'active') {
    out.print(`  ${label('offered')}${out.c.yellow(t.offeredLine({ since: day(dutchDay(u.notOfferedSince)), listed: u.listed }))}`);
  }
  out.print(
    `  ${label('links')}${u.links.length ? u.links.map((l) => `${l.source}:${l.externalId}${l.active ? '' : out.c.dim(t.notOfferedLink())}`).join(', ') : out.c.dim(t.noLinks())}`,
  );
  if (u.relations.length)
    out.print(
      `  ${label('relations')}${u.relations.map((r) => `${r.organisation}${r.group ? ` / ${r.group}` : ''} ${out.c.dim(`(${r.source})`)}`).join('\n' + ' '.repeat(2 + LABEL_WIDTH))}`,
    );
  out.print(`  ${label('created')}${t.createdLine({ created: day(dutchDateTime(u.createdAt)), updated: day(dutchDateTime(u.updatedAt)) })}`);
}

/** The labels of `users show`, in one column. */
const LABEL_WIDTH = 14;
function label(name: Parameters<typeof t.field>[0]['name']): string {
  return t.field({ name }).padEnd(LABEL_WIDTH);
}

export function registerUsers(program: Parent, rt: Runtime): void {
  const users = program.command('users').description('accounts: list, show, edit, delete, restore');
  for (const declare of [usersList, usersShow, usersEdit, usersDelete, usersPurge, usersRestore]) declare(users, rt);
}

function usersList(users: Parent, rt: Runtime): void {
  users
    .command('list')
    .description('accounts, in Dutch order of family name (active ones; --status deleted or --all for the Deleted users)')
    .option('--status <status>', 'active | deleted (default: active)')
    .option('--all', 'active and deleted accounts')
    .option('--owner <owner>', 'source | hub')
    .option('--search <text>', 'part of a name, email, externalId (or source:externalId), school or group')
    .option('--limit <n>', 'at most this many', intArg('--limit', 1))
    .action(
      act(rt, (flags) => {
        if (flags.status && !['active', 'deleted'].includes(flags.status)) throw usageError(t.statusValue({ value: flags.status }));
        if (flags.status && flags.all) throw usageError(t.contradict({ flags: ['--status', '--all'] }), t.passOne());
        if (flags.owner && !['source', 'hub'].includes(flags.owner)) throw usageError(t.ownerValue({ value: flags.owner }));
        const status = flags.all ? undefined : ((flags.status ?? 'active') as 'active' | 'deleted');
        const {
          users: list,
          total,
          estimated,
        } = listUsers(rt.context(), {
          status,
          owner: flags.owner as 'source' | 'hub' | undefined,
          search: flags.search,
          limit: flags.limit,
          count: !rt.out.json, // the JSON array holds no count
        });
        rt.out.result(list, (l) => {
          if (l.length === 0) return rt.out.info(status === 'active' ? t.noActiveMatch() : t.noAccountsMatch());
          rt.out.print(rt.out.table(USER_HEAD, userRows(l, rt.out.cells)));
          rt.out.info(rt.out.e.dim(t.usersCount({ shown: l.length, total, estimated, status })));
        });
      }),
    );
}

function usersShow(users: Parent, rt: Runtime): void {
  users
    .command('show <user>')
    .description('one account: attributes, owner, links, relations, exception, recent history')
    .action(
      act(rt, (ref) => {
        const d = showUser(rt.context(), ref);
        rt.out.result({ ...d.user, exception: d.exception, history: d.history }, () => {
          renderUser(rt, d.user);
          if (d.exception) {
            const e = d.exception;
            rt.out.print(
              `  ${label('exception')}${t.exceptionLine({ reason: e.reason, until: day(e.until), added: day(dutchDay(e.createdAt)), by: e.createdBy })}`,
            );
          }
          if (d.history.length) {
            rt.out.print('');
            rt.out.print(rt.out.c.bold(t.recentHistory()));
            rt.out.print(rt.out.table(AUDIT_HEAD, auditRows(d.history, new Map([[d.user.id, d.user.displayName]]), rt.out.cells)));
          }
        });
      }),
    );
}

function usersEdit(users: Parent, rt: Runtime): void {
  users
    .command('edit <user>')
    .description("change an account's attributes (a source-owned account asks first: R13)")
    .option('--given-name <name>')
    .option('--prefix <prefix>', 'tussenvoegsel ("" for none)')
    .option('--family-name <name>')
    .option('--email <email>')
    .option('--force', 'change a source-owned account without asking (the next sync overwrites it)')
    .action(
      act(rt, async (ref, flags) => {
        const r = await editUser(
          rt.context(),
          ref,
          { givenName: flags.givenName, prefix: flags.prefix, familyName: flags.familyName, email: flags.email },
          !!flags.force,
        );
        rt.out.result({ ...r.user, changed: r.changed }, (x) => {
          if (r.changed.length === 0) rt.out.info(t.userUnchanged());
          else rt.out.success(t.userChanged({ fields: r.changed.map((f) => t.attribute({ name: f })), id: x.id, name: x.displayName }));
        });
      }),
    );
}

function usersDelete(users: Parent, rt: Runtime): void {
  users
    .command('delete <user>')
    .description('soft-delete to Deleted users; takes it off the exception list (R3, R7, R14)')
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      act(rt, async (ref, flags) => {
        const r = await deleteUser(rt.context(), ref, flags.reason);
        rt.out.result({ ...r.user, wasListed: r.wasListed, offeredBy: r.offeredBy }, (x) => {
          rt.out.success(t.userDeleted({ id: x.id, name: x.displayName, wasListed: r.wasListed }));
          if (r.offeredBy.length) rt.out.warn(t.willRestore());
        });
      }),
    );
}

function usersPurge(users: Parent, rt: Runtime): void {
  users
    .command('purge')
    .description('erase accounts deleted longer than --older-than days ago (personal data retention); irreversible')
    .requiredOption('--older-than <days>', 'erase accounts that have been in Deleted users this many days', intArg('--older-than', 1, DAYS_MAX))
    .option('--dry-run', 'show which accounts would be erased')
    .action(
      act(rt, async (flags) => {
        const r = await purgeUsers(rt.context(), flags.olderThan, !!flags.dryRun);
        rt.out.result(r, () => {
          if (r.purged.length === 0) return rt.out.info(t.noPurge({ days: r.olderThan }));
          if (r.dryRun) {
            rt.out.print(
              rt.out.table(
                [{ head: 'id', id: true }, { head: 'name', keep: true }, { head: 'deleted' }, { head: 'cause' }],
                r.purged.map((p) => [p.id, p.displayName, rt.out.cells.day(dutchDateTime(p.deletedAt)), p.deletedCause ?? '']),
              ),
            );
            rt.out.info(t.wouldPurge({ n: r.purged.length }));
          } else rt.out.success(t.purged({ n: r.purged.length, before: day(dutchDay(r.before)) }));
        });
      }),
    );
}

function usersRestore(users: Parent, rt: Runtime): void {
  users
    .command('restore <user>')
    .description('restore from Deleted users, as a hub account without source links (R8)')
    .action(
      act(rt, (ref) => {
        const r = restoreUser(rt.context(), ref);
        rt.out.result({ ...r.user, unlinked: r.unlinked }, (x) => {
          rt.out.success(t.userRestored({ id: x.id, name: x.displayName }));
        });
      }),
    );
}
