INSERT INTO things VALUES (2, 'two');
