"""Events (双创活动): competitions, roadshows, trainings, salons, the 双创 week, open days."""
