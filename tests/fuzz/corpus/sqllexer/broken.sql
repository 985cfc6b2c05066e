SELECT 'open
/* never