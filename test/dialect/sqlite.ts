process.env.AUDITDRAIN_TEST_DIALECT = 'sqlite';
