SELECT $$ ; $$, $t$ x $t$; PRAGMA journal_mode=OFF; COPY t TO '/tmp/x';
