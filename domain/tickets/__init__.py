"""After-sales (售后): service tickets with SLAs in working time, satisfaction surveys."""
