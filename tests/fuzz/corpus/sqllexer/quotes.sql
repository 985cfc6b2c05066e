SELECT 'it''s', "q""x", `b`, [c] FROM t -- c
/* a /* b */ */;
