import sys

from bench.run import main

if sys.argv[1:2] == ["export"]:  # python -m bench export: the bulk export's benchmark
    from bench.export import main as export_main

    sys.exit(export_main(sys.argv[2:]))
if sys.argv[1:2] == ["scale"]:  # python -m bench scale: corpus-wide reads at 100 and 100,000
    from bench.scale import main as scale_main

    sys.exit(scale_main(sys.argv[2:]))
sys.exit(main())
