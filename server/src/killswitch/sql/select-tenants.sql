-- Every tenant that has ever had a switch (their Redis caches are rebuilt on start).
SELECT DISTINCT tenant_id FROM kill_switches
