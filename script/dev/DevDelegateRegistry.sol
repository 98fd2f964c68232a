// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDelegateRegistry} from "../../src/interfaces/IDelegateRegistry.sol";

/// @title DevDelegateRegistry
/// @notice DEVELOPMENT AND TESTS ONLY: a stand-in for the delegate.xyz v2 `DelegateRegistry` on chains that have none
///         (local anvil, forge tests). It offers the whole v2 ABI (every function selector, event topic and error of
///         the official ABI of the delegatexyz sdk npm package, checked by `ts-sdk/test/delegate-registry.test.ts`)
///         and the registry's semantics, written from its documented behaviour, not copied:
///         - a delegation is keyed by `(type, from, rights, to, contract_, tokenId)`: rights are part of the key, so
///           revoking takes the rights it was made with;
///         - enabling twice is a no-op, revoking re-enables nothing, revoking what the caller never made changes
///           nothing (every call still emits its event, as the real registry does);
///         - a check asks first for an all-rights (`""`) delegation at wallet, contract and token level, and only
///           for non-empty `rights` then for one made with exactly those rights at the same levels;
///         - `from` of `address(0)` or `address(1)` never validates (they mark empty and revoked records).
///         Hashes and raw storage (`readSlot`) differ from the real registry's: nothing in Strata depends on them.
///         Deployed by `script/Deploy.s.sol` only on chain id 31337.
contract DevDelegateRegistry is IDelegateRegistry {
    /// @notice The kind of a delegation (the order of the official `IDelegateRegistry.DelegationType`).
    enum DelegationType {
        NONE,
        ALL,
        CONTRACT,
        ERC721,
        ERC20,
        ERC1155
    }

    /// @notice A delegation as the enumeration views return it (the official field order).
    struct Delegation {
        DelegationType type_;
        address to;
        address from;
        bytes32 rights;
        address contract_;
        uint256 tokenId;
        uint256 amount;
    }

    /// @dev One stored delegation. `from` is the delegator while enabled, `REVOKED` once revoked, zero if never made.
    ///      The three addresses take two slots, as in the canonical registry (its storage has the same number of slots
    ///      per delegation, so the gas of a delegation here is the canonical one's): the contract is split, its top 11
    ///      bytes beside `from` and the delegation type, its low 9 bytes beside `to` (`_contractOf`).
    struct Record {
        address from;
        DelegationType type_;
        uint88 contractHigh;
        address to;
        uint72 contractLow;
        bytes32 rights;
        uint256 tokenId;
        uint256 amount;
    }

    /// @notice Emitted on every `delegateAll`.
    event DelegateAll(address indexed from, address indexed to, bytes32 rights, bool enable);
    /// @notice Emitted on every `delegateContract`.
    event DelegateContract(
        address indexed from, address indexed to, address indexed contract_, bytes32 rights, bool enable
    );
    /// @notice Emitted on every `delegateERC20` (`amount = 0` revokes).
    event DelegateERC20(
        address indexed from, address indexed to, address indexed contract_, bytes32 rights, uint256 amount
    );
    /// @notice Emitted on every `delegateERC1155` (`amount = 0` revokes).
    event DelegateERC1155(
        address indexed from,
        address indexed to,
        address indexed contract_,
        uint256 tokenId,
        bytes32 rights,
        uint256 amount
    );

    /// @notice A call inside `multicall` reverted.
    error MulticallFailed();

    address private constant REVOKED = address(1);

    mapping(bytes32 hash => Record) private _records;
    mapping(address from => bytes32[] hashes) private _outgoing;
    mapping(address to => bytes32[] hashes) private _incoming;

    // ------------------------------------------------------------------------------------------- write

    /// @notice Runs each call against this registry as the caller (delegatecall); reverts if any reverts.
    function multicall(bytes[] calldata data) external payable returns (bytes[] memory results) {
        results = new bytes[](data.length);
        for (uint256 i; i < data.length; ++i) {
            (bool ok, bytes memory result) = address(this).delegatecall(data[i]);
            if (!ok) revert MulticallFailed();
            results[i] = result;
        }
    }

    /// @notice Delegates or revokes the caller's whole wallet.
    function delegateAll(address to, bytes32 rights, bool enable) external payable returns (bytes32 hash) {
        hash = _write(DelegationType.ALL, to, address(0), 0, rights, enable, 0);
        emit DelegateAll(msg.sender, to, rights, enable);
    }

    /// @notice Delegates or revokes the caller's rights over one contract.
    function delegateContract(address to, address contract_, bytes32 rights, bool enable)
        external
        payable
        returns (bytes32 hash)
    {
        hash = _write(DelegationType.CONTRACT, to, contract_, 0, rights, enable, 0);
        emit DelegateContract(msg.sender, to, contract_, rights, enable);
    }

    /// @inheritdoc IDelegateRegistry
    function delegateERC721(address to, address contract_, uint256 tokenId, bytes32 rights, bool enable)
        external
        payable
        returns (bytes32 hash)
    {
        hash = _write(DelegationType.ERC721, to, contract_, tokenId, rights, enable, 0);
        emit DelegateERC721(msg.sender, to, contract_, tokenId, rights, enable);
    }

    /// @notice Delegates `amount` of a fungible token (`0` revokes).
    function delegateERC20(address to, address contract_, bytes32 rights, uint256 amount)
        external
        payable
        returns (bytes32 hash)
    {
        hash = _write(DelegationType.ERC20, to, contract_, 0, rights, amount != 0, amount);
        emit DelegateERC20(msg.sender, to, contract_, rights, amount);
    }

    /// @notice Delegates `amount` of one ERC-1155 id (`0` revokes).
    function delegateERC1155(address to, address contract_, uint256 tokenId, bytes32 rights, uint256 amount)
        external
        payable
        returns (bytes32 hash)
    {
        hash = _write(DelegationType.ERC1155, to, contract_, tokenId, rights, amount != 0, amount);
        emit DelegateERC1155(msg.sender, to, contract_, tokenId, rights, amount);
    }

    /// @notice Sends any ether held to the caller (the real registry sends it to a fixed address).
    function sweep() external {
        (bool ok,) = payable(msg.sender).call{value: address(this).balance}("");
        ok;
    }

    // ------------------------------------------------------------------------------------------- checks

    /// @notice Whether `to` may act for `from`'s whole wallet.
    function checkDelegateForAll(address to, address from, bytes32 rights) external view returns (bool valid) {
        if (_invalidFrom(from)) return false;
        valid = _valid(DelegationType.ALL, from, "", to, address(0), 0);
        if (!valid && rights != "") valid = _valid(DelegationType.ALL, from, rights, to, address(0), 0);
    }

    /// @notice Whether `to` may act for `from` on `contract_` (or on the whole wallet).
    function checkDelegateForContract(address to, address from, address contract_, bytes32 rights)
        external
        view
        returns (bool valid)
    {
        if (_invalidFrom(from)) return false;
        valid = _contractLevel(to, from, contract_, "");
        if (!valid && rights != "") valid = _contractLevel(to, from, contract_, rights);
    }

    /// @inheritdoc IDelegateRegistry
    function checkDelegateForERC721(address to, address from, address contract_, uint256 tokenId, bytes32 rights)
        external
        view
        returns (bool valid)
    {
        if (_invalidFrom(from)) return false;
        valid =
            _contractLevel(to, from, contract_, "") || _valid(DelegationType.ERC721, from, "", to, contract_, tokenId);
        if (!valid && rights != "") {
            valid = _contractLevel(to, from, contract_, rights)
                || _valid(DelegationType.ERC721, from, rights, to, contract_, tokenId);
        }
    }

    /// @notice The amount of `contract_` `to` may use for `from`: `type(uint256).max` under a wallet or contract
    ///         delegation, else the delegated amount (the larger of the all-rights and the `rights` one).
    function checkDelegateForERC20(address to, address from, address contract_, bytes32 rights)
        external
        view
        returns (uint256 amount)
    {
        if (_invalidFrom(from)) return 0;
        amount = _fungible(DelegationType.ERC20, to, from, contract_, 0, "");
        if (amount != type(uint256).max && rights != "") {
            uint256 withRights = _fungible(DelegationType.ERC20, to, from, contract_, 0, rights);
            if (withRights > amount) amount = withRights;
        }
    }

    /// @notice As `checkDelegateForERC20`, for one ERC-1155 id.
    function checkDelegateForERC1155(address to, address from, address contract_, uint256 tokenId, bytes32 rights)
        external
        view
        returns (uint256 amount)
    {
        if (_invalidFrom(from)) return 0;
        amount = _fungible(DelegationType.ERC1155, to, from, contract_, tokenId, "");
        if (amount != type(uint256).max && rights != "") {
            uint256 withRights = _fungible(DelegationType.ERC1155, to, from, contract_, tokenId, rights);
            if (withRights > amount) amount = withRights;
        }
    }

    // ------------------------------------------------------------------------------------------- enumeration

    /// @notice The enabled delegations made to `to`.
    function getIncomingDelegations(address to) external view returns (Delegation[] memory) {
        return _delegations(_enabled(_incoming[to]));
    }

    /// @notice The enabled delegations made by `from`.
    function getOutgoingDelegations(address from) external view returns (Delegation[] memory) {
        return _delegations(_enabled(_outgoing[from]));
    }

    /// @notice The hashes of the enabled delegations made to `to`.
    function getIncomingDelegationHashes(address to) external view returns (bytes32[] memory) {
        return _enabled(_incoming[to]);
    }

    /// @notice The hashes of the enabled delegations made by `from`.
    function getOutgoingDelegationHashes(address from) external view returns (bytes32[] memory) {
        return _enabled(_outgoing[from]);
    }

    /// @notice The delegations behind `hashes`; an empty or revoked one comes back with type `NONE` and zero fields.
    function getDelegationsFromHashes(bytes32[] calldata hashes) external view returns (Delegation[] memory) {
        return _delegations(hashes);
    }

    /// @notice One raw storage slot of this registry.
    function readSlot(bytes32 location) external view returns (bytes32 contents) {
        assembly ("memory-safe") {
            contents := sload(location)
        }
    }

    /// @notice Raw storage slots of this registry.
    function readSlots(bytes32[] calldata locations) external view returns (bytes32[] memory contents) {
        contents = new bytes32[](locations.length);
        for (uint256 i; i < locations.length; ++i) {
            bytes32 location = locations[i];
            bytes32 value;
            assembly ("memory-safe") {
                value := sload(location)
            }
            contents[i] = value;
        }
    }

    /// @notice ERC-165: this registry claims ERC-165 only.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == 0x01ffc9a7;
    }

    // ------------------------------------------------------------------------------------------- internal

    function _hash(DelegationType t, address from, bytes32 rights, address to, address contract_, uint256 tokenId)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(t, from, rights, to, contract_, tokenId));
    }

    /// @dev The one write path. The key holds `msg.sender`, so a stored `from` is empty, `REVOKED` or the caller.
    function _write(
        DelegationType t,
        address to,
        address contract_,
        uint256 tokenId,
        bytes32 rights,
        bool enable,
        uint256 amount
    ) private returns (bytes32 hash) {
        hash = _hash(t, msg.sender, rights, to, contract_, tokenId);
        Record storage r = _records[hash];
        address stored = r.from;
        bool fungible = t == DelegationType.ERC20 || t == DelegationType.ERC1155;
        if (enable) {
            if (stored == address(0)) {
                _outgoing[msg.sender].push(hash);
                _incoming[to].push(hash);
                // Only non-zero fields are written (as the real registry does): gas figures stay representative.
                r.to = to;
                if (contract_ != address(0)) {
                    // casting to 'uint88' is safe because a 160-bit value shifted right by 72 bits has 88
                    // forge-lint: disable-next-line(unsafe-typecast)
                    r.contractHigh = uint88(uint160(contract_) >> 72);
                    // casting to 'uint72' is safe because it keeps the low 72 bits on purpose (the other half)
                    // forge-lint: disable-next-line(unsafe-typecast)
                    r.contractLow = uint72(uint160(contract_));
                }
                if (rights != "") r.rights = rights;
                if (tokenId != 0) r.tokenId = tokenId;
            }
            if (stored != msg.sender) {
                r.from = msg.sender;
                r.type_ = t;
            }
            if (fungible) r.amount = amount;
        } else if (stored == msg.sender) {
            r.from = REVOKED;
            if (fungible) r.amount = 0;
        }
    }

    /// @dev The contract of record `r`, from its two halves.
    function _contractOf(Record storage r) private view returns (address) {
        return address(uint160(r.contractHigh) << 72 | uint160(r.contractLow));
    }

    function _invalidFrom(address from) private pure returns (bool) {
        return from == address(0) || from == REVOKED;
    }

    function _valid(DelegationType t, address from, bytes32 rights, address to, address contract_, uint256 tokenId)
        private
        view
        returns (bool)
    {
        return _records[_hash(t, from, rights, to, contract_, tokenId)].from == from;
    }

    function _contractLevel(address to, address from, address contract_, bytes32 rights) private view returns (bool) {
        return _valid(DelegationType.ALL, from, rights, to, address(0), 0)
            || _valid(DelegationType.CONTRACT, from, rights, to, contract_, 0);
    }

    function _fungible(DelegationType t, address to, address from, address contract_, uint256 tokenId, bytes32 rights)
        private
        view
        returns (uint256)
    {
        if (_contractLevel(to, from, contract_, rights)) return type(uint256).max;
        Record storage r = _records[_hash(t, from, rights, to, contract_, tokenId)];
        return r.from == from ? r.amount : 0;
    }

    function _enabled(bytes32[] storage hashes) private view returns (bytes32[] memory out) {
        out = new bytes32[](hashes.length);
        uint256 n;
        for (uint256 i; i < hashes.length; ++i) {
            if (!_invalidFrom(_records[hashes[i]].from)) out[n++] = hashes[i];
        }
        assembly ("memory-safe") {
            mstore(out, n)
        }
    }

    function _delegations(bytes32[] memory hashes) private view returns (Delegation[] memory out) {
        out = new Delegation[](hashes.length);
        for (uint256 i; i < hashes.length; ++i) {
            Record storage r = _records[hashes[i]];
            if (_invalidFrom(r.from)) continue;
            out[i] = Delegation({
                type_: r.type_,
                to: r.to,
                from: r.from,
                rights: r.rights,
                contract_: _contractOf(r),
                tokenId: r.tokenId,
                amount: r.amount
            });
        }
    }
}
