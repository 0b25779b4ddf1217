"""The centre console (综治中心工作台): the queue of cases that need action, its map, and the
mediator workload board, for village station staff, township dispatchers and county staff."""
