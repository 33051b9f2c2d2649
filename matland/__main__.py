from matland.cli.main import main

main()
