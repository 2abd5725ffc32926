"""Reception schedules (主题接待清单, 周二代表有约): sessions at stations and the items they received."""
