données = 1
π = données * 2
