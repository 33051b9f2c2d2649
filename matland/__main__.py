from matland.cli.launch import main

main()
