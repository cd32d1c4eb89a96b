from callcoach.cli.app import main

raise SystemExit(main())
