import { PGlite } from '@electric-sql/pglite';
const db = new PGlite();
const t0 = Date.now();
console.log((await db.query('select version(), pg_backend_pid() as pid')).rows);
await db.exec('create table t (id bigint primary key, a text not null, b int)');
let t = Date.now();
await db.exec("insert into t select g, 'v'||g, g from generate_series(1,1000000) g");
console.log('insert 1M ms', Date.now() - t);
await db.exec('begin');
const before = (await db.query("select relfilenode from pg_class where relname='t'")).rows;
t = Date.now();
await db.exec("alter table t add column c uuid default gen_random_uuid()");
console.log('rewrite ms', Date.now() - t);
console.log((await db.query("select l.mode, c.relname from pg_locks l join pg_class c on c.oid = l.relation where l.pid = pg_backend_pid() and l.locktype='relation'")).rows);
await db.exec('commit');
console.log(before, (await db.query("select relfilenode from pg_class where relname='t'")).rows);
try { await db.exec('create index concurrently i on t(a)'); console.log('cic ok'); } catch (e) { console.log('cic err', e.message); }
console.log('rss MB', process.memoryUsage().rss / 1e6, 'total', Date.now() - t0);
