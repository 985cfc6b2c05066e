UPDATE t SET a = (SELECT b FROM u WHERE x) ; EXEC('x'); SELECT randomblob(100*1000*1000);
