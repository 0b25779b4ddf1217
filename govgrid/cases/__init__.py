"""Cases (矛盾纠纷/事件): from report to archive; the state machine is in `workflow`."""
