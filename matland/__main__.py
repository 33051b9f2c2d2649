from matland.cli import main

main()
