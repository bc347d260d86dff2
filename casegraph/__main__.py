from casegraph.cli.main import main

main()
