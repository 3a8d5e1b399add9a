@echo off
rem spawnkit Wine oracle, batch-file smoke test: writes the arguments as cmd gave them to the script
rem into the file CASE.txt of the folder SPAWNKIT_ORACLE_OUT, CASE being SPAWNKIT_ORACLE_CASE
rem (one file per case: the probe may run several cases at once)
>"%SPAWNKIT_ORACLE_OUT%\%SPAWNKIT_ORACLE_CASE%.txt" echo [%1] [%2] [%3] [%4]
