/**
 * The committed SQL migrations build exactly the tables the Prisma models describe: every model a table, every
 * scalar field a column of the right type and nullability, every id, unique, index and foreign key, and nothing
 * more. The models are read with Prisma's own schema parser (its DMMF); the database is introspected.
 */
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import type { Config, Dialect } from '../../src/config';
import { MIGRATIONS_DIR, MigrationError, listMigrations, migrate } from '../../src/store/migrate';
import { dialectUnderTest, freshDatabase } from '../support/test-service';

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: string;
  type: string;
  isRequired: boolean;
  isId: boolean;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  fields: { name: string }[];
}

/** The shape both sides are reduced to before comparing. */
interface Shape {
  columns: string[]; // "table.column type null|not null"
  primaryKeys: string[]; // "table(col, …)"
  uniques: string[]; // "table(col, …)"
  indexes: string[]; // "table(col, …)"
  foreignKeys: string[]; // "table(col) -> table(col) on delete X"
}

const TYPES: Record<Dialect, Record<string, string>> = {
  sqlite: { String: 'TEXT', DateTime: 'DATETIME', BigInt: 'INTEGER', Int: 'INTEGER', Boolean: 'BOOLEAN' },
  postgresql: {
    String: 'text',
    DateTime: 'timestamp(3) without time zone',
    BigInt: 'bigint',
    Int: 'integer',
    Boolean: 'boolean',
  },
};

function expectedShape(dialect: Dialect): Shape {
  const models = fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'models.prisma'), 'utf8');
  const schema = `datasource db {\n  provider = "${dialect}"\n}\n${models}`;
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]] }))) as {
    datamodel: { models: DmmfModel[]; indexes: DmmfIndex[] };
  };
  const tableOf = new Map(dmmf.datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = (model: DmmfModel, field: string) => {
    const f = model.fields.find((x) => x.name === field) as DmmfField;
    return f.dbName ?? f.name;
  };
  const shape: Shape = { columns: [], primaryKeys: [], uniques: [], indexes: [], foreignKeys: [] };
  for (const model of dmmf.datamodel.models) {
    const table = tableOf.get(model.name) as string;
    for (const f of model.fields) {
      if (f.kind === 'scalar') {
        shape.columns.push(`${table}.${f.dbName ?? f.name} ${TYPES[dialect][f.type]} ${f.isRequired ? 'not null' : 'null'}`);
      }
      if (f.kind === 'object' && f.relationFromFields && f.relationFromFields.length > 0) {
        const target = dmmf.datamodel.models.find((m) => m.name === f.type) as DmmfModel;
        shape.foreignKeys.push(
          `${table}(${f.relationFromFields.map((x) => columnOf(model, x)).join(', ')}) -> ${tableOf.get(f.type)}(${(f.relationToFields ?? [])
            .map((x) => columnOf(target, x))
            .join(', ')}) on delete ${(f.relationOnDelete ?? 'NoAction').toUpperCase()}`,
        );
      }
    }
  }
  for (const index of dmmf.datamodel.indexes) {
    const model = dmmf.datamodel.models.find((m) => m.name === index.model) as DmmfModel;
    const entry = `${tableOf.get(index.model)}(${index.fields.map((f) => columnOf(model, f.name)).join(', ')})`;
    if (index.type === 'id') shape.primaryKeys.push(entry);
    else if (index.type === 'unique') shape.uniques.push(entry);
    else shape.indexes.push(entry);
  }
  return sorted(shape);
}

function sorted(shape: Shape): Shape {
  return {
    columns: [...shape.columns].sort(),
    primaryKeys: [...shape.primaryKeys].sort(),
    uniques: [...shape.uniques].sort(),
    indexes: [...shape.indexes].sort(),
    foreignKeys: [...shape.foreignKeys].sort(),
  };
}

const BOOKKEEPING = new Set(['_auditdrain_migrations', 'sqlite_sequence']);

function sqliteShape(file: string): Shape {
  const db = new Sqlite(file, { readonly: true });
  try {
    const shape: Shape = { columns: [], primaryKeys: [], uniques: [], indexes: [], foreignKeys: [] };
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[])
      .map((t) => t.name)
      .filter((t) => !BOOKKEEPING.has(t));
    for (const table of tables) {
      const columns = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string; notnull: number; pk: number }[];
      for (const c of columns) {
        // A primary key column is NOT NULL whether or not the DDL says so.
        shape.columns.push(`${table}.${c.name} ${c.type} ${c.notnull || c.pk ? 'not null' : 'null'}`);
      }
      const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
      if (pk.length > 0) shape.primaryKeys.push(`${table}(${pk.map((c) => c.name).join(', ')})`);
      for (const index of db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number; origin: string }[]) {
        if (index.origin === 'pk') continue;
        const cols = (db.prepare(`PRAGMA index_info("${index.name}")`).all() as { seqno: number; name: string }[])
          .sort((a, b) => a.seqno - b.seqno)
          .map((c) => c.name);
        (index.unique ? shape.uniques : shape.indexes).push(`${table}(${cols.join(', ')})`);
      }
      for (const fk of db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string; from: string; to: string; on_delete: string }[]) {
        shape.foreignKeys.push(`${table}(${fk.from}) -> ${fk.table}(${fk.to}) on delete ${fk.on_delete.replace(' ', '')}`);
      }
    }
    return sorted(shape);
  } finally {
    db.close();
  }
}

async function postgresShape(url: string): Promise<Shape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const shape: Shape = { columns: [], primaryKeys: [], uniques: [], indexes: [], foreignKeys: [] };
    const columns = await client.query<{ table_name: string; column_name: string; type: string; is_nullable: string }>(`
      SELECT c.table_name, c.column_name, c.is_nullable,
             format_type(a.atttypid, a.atttypmod) AS type
      FROM information_schema.columns c
      JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name
      WHERE c.table_schema = 'public'`);
    for (const c of columns.rows) {
      if (BOOKKEEPING.has(c.table_name)) continue;
      shape.columns.push(`${c.table_name}.${c.column_name} ${c.type} ${c.is_nullable === 'NO' ? 'not null' : 'null'}`);
    }
    const indexes = await client.query<{ table_name: string; is_primary: boolean; is_unique: boolean; columns: string[] }>(`
      SELECT t.relname AS table_name, i.indisprimary AS is_primary, i.indisunique AS is_unique,
             array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n) AS columns
      FROM pg_index i
      JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_namespace ns ON ns.oid = t.relnamespace
      WHERE ns.nspname = 'public'`);
    for (const i of indexes.rows) {
      if (BOOKKEEPING.has(i.table_name)) continue;
      const entry = `${i.table_name}(${i.columns.join(', ')})`;
      (i.is_primary ? shape.primaryKeys : i.is_unique ? shape.uniques : shape.indexes).push(entry);
    }
    const fks = await client.query<{ table_name: string; def: string }>(`
      SELECT conrelid::regclass::text AS table_name, pg_get_constraintdef(oid) AS def
      FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`);
    for (const fk of fks.rows) {
      const m = /^FOREIGN KEY \((.+)\) REFERENCES (\S+)\((.+)\)(?: ON UPDATE \w+)?(?: ON DELETE (\w+))?/.exec(fk.def);
      if (!m) throw new Error(`unparsed foreign key ${fk.def}`);
      const strip = (s: string) => s.replace(/"/g, '');
      shape.foreignKeys.push(`${strip(fk.table_name)}(${strip(m[1] as string)}) -> ${strip(m[2] as string)}(${strip(m[3] as string)}) on delete ${m[4] ?? 'NOACTION'}`);
    }
    return sorted(shape);
  } finally {
    await client.end();
  }
}

const actualShape = (database: Config['database']) =>
  database.dialect === 'sqlite' ? Promise.resolve(sqliteShape(database.file)) : postgresShape(database.url);

describe(`migrations (${dialectUnderTest()})`, () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  beforeEach(async () => {
    fresh = await freshDatabase();
  });
  afterEach(() => fresh.drop());

  test('the migrated database matches the Prisma models exactly', async () => {
    expect(await migrate(fresh.database)).toEqual(listMigrations(dialectUnderTest()).map((m) => m.name));
    const expected = expectedShape(dialectUnderTest());
    expect(expected.columns.length).toBeGreaterThan(20);
    expect(await actualShape(fresh.database)).toEqual(expected);
  });

  test('migrating again applies nothing', async () => {
    await migrate(fresh.database);
    expect(await migrate(fresh.database)).toEqual([]);
  });

  test('a migration edited after it was applied stops start-up', async () => {
    await migrate(fresh.database);
    const tamper = "UPDATE _auditdrain_migrations SET checksum = 'edited' WHERE version = '0001'";
    if (fresh.database.dialect === 'sqlite') {
      const db = new Sqlite(fresh.database.file);
      db.exec(tamper);
      db.close();
    } else {
      const client = new pg.Client({ connectionString: fresh.database.url });
      await client.connect();
      await client.query(tamper);
      await client.end();
    }
    await expect(migrate(fresh.database)).rejects.toThrow(MigrationError);
    await expect(migrate(fresh.database)).rejects.toThrow(/0001_initial was changed after it was applied/);
  });
});

test('both dialects have the same migrations, in the same order', () => {
  const names = (d: Dialect) => fs.readdirSync(path.join(MIGRATIONS_DIR, d)).sort();
  expect(names('sqlite')).toEqual(names('postgresql'));
});
